package io.flowbin.pipeline;

import io.flowbin.data.Transaction;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What a plug-in calls to read and change data, as Dataverse's {@code IOrganizationService}: every call runs the
 * message with its own pipeline (depth plus one), inside the plug-in's transaction when the plug-in runs in one.
 */
public interface OrganizationService {
    /** Creates the row and returns its id. */
    UUID create(Entity entity);

    /** The row with these columns (all readable columns when none are named), or an error when it does not exist. */
    Entity retrieve(String logicalName, UUID id, List<String> columns);

    /** Updates the columns present in the entity; the entity must carry its id. */
    void update(Entity entity);

    void delete(String logicalName, UUID id);

    /** Connects the pipeline to the messages that serve these calls, for the user given. */
    interface Factory {
        /**
         * @param tx the transaction the calling step runs in, which its operations join; null for a step outside
         *     one (PreValidation of the initial operation, system jobs)
         */
        OrganizationService forUser(@Nullable Transaction tx, UUID userId, UUID businessUnitId, UUID organizationId);
    }
}
