package io.flowbin.odata;

import java.util.List;
import java.util.Map;
import org.apache.olingo.commons.api.edm.EdmPrimitiveTypeKind;
import org.apache.olingo.commons.api.edm.FullQualifiedName;
import org.apache.olingo.commons.api.edm.provider.CsdlAction;
import org.apache.olingo.commons.api.edm.provider.CsdlComplexType;
import org.apache.olingo.commons.api.edm.provider.CsdlFunction;
import org.apache.olingo.commons.api.edm.provider.CsdlFunctionImport;
import org.apache.olingo.commons.api.edm.provider.CsdlParameter;
import org.apache.olingo.commons.api.edm.provider.CsdlProperty;
import org.apache.olingo.commons.api.edm.provider.CsdlReturnType;

/**
 * The operations of the bulk, batch and state messages as Dataverse declares them in CSDL: the actions
 * CreateMultiple, UpdateMultiple and UpsertMultiple bound to any entity set ({@code Collection(mscrm.crmbaseentity)},
 * binding parameter first), and the unbound function IsValidStateTransition, with their response types. Immutable.
 */
final class OperationsEdm {
    static final String CREATE_MULTIPLE = "CreateMultiple";
    static final String UPDATE_MULTIPLE = "UpdateMultiple";
    static final String UPSERT_MULTIPLE = "UpsertMultiple";
    static final String IS_VALID_STATE_TRANSITION = "IsValidStateTransition";
    static final FullQualifiedName CREATE_MULTIPLE_RESPONSE = name("CreateMultipleResponse");
    static final FullQualifiedName IS_VALID_STATE_TRANSITION_RESPONSE = name("IsValidStateTransitionResponse");

    private OperationsEdm() {}

    static FullQualifiedName name(String operation) {
        return new FullQualifiedName(EdmProvider.NAMESPACE, operation);
    }

    static Map<FullQualifiedName, List<CsdlAction>> actions() {
        return Map.of(
                name(CREATE_MULTIPLE), List.of(bulkAction(CREATE_MULTIPLE)
                        .setReturnType(new CsdlReturnType().setType(CREATE_MULTIPLE_RESPONSE).setNullable(false))),
                name(UPDATE_MULTIPLE), List.of(bulkAction(UPDATE_MULTIPLE)),
                name(UPSERT_MULTIPLE), List.of(bulkAction(UPSERT_MULTIPLE)));
    }

    private static CsdlAction bulkAction(String name) {
        return new CsdlAction()
                .setName(name)
                .setBound(true)
                .setParameters(List.of(
                        entities("entityset"),
                        entities("Targets")));
    }

    private static CsdlParameter entities(String name) {
        return new CsdlParameter().setName(name).setType(EdmProvider.CRM_BASE_ENTITY).setCollection(true)
                .setNullable(false);
    }

    static Map<FullQualifiedName, List<CsdlFunction>> functions() {
        return Map.of(name(IS_VALID_STATE_TRANSITION), List.of(new CsdlFunction()
                .setName(IS_VALID_STATE_TRANSITION)
                .setBound(false)
                .setParameters(List.of(
                        new CsdlParameter().setName("Entity").setType(EdmProvider.CRM_BASE_ENTITY).setNullable(false),
                        new CsdlParameter().setName("NewState")
                                .setType(EdmPrimitiveTypeKind.String.getFullQualifiedName()).setNullable(false),
                        new CsdlParameter().setName("NewStatus")
                                .setType(EdmPrimitiveTypeKind.Int32.getFullQualifiedName()).setNullable(false)))
                .setReturnType(new CsdlReturnType().setType(IS_VALID_STATE_TRANSITION_RESPONSE).setNullable(false))));
    }

    static List<CsdlFunctionImport> functionImports() {
        return List.of(new CsdlFunctionImport()
                .setName(IS_VALID_STATE_TRANSITION)
                .setFunction(name(IS_VALID_STATE_TRANSITION))
                .setIncludeInServiceDocument(false));
    }

    static List<CsdlComplexType> complexTypes() {
        return List.of(
                new CsdlComplexType().setName(CREATE_MULTIPLE_RESPONSE.getName()).setProperties(List.of(
                        new CsdlProperty().setName("Ids").setType(EdmPrimitiveTypeKind.Guid.getFullQualifiedName())
                                .setCollection(true).setNullable(false))),
                new CsdlComplexType().setName(IS_VALID_STATE_TRANSITION_RESPONSE.getName()).setProperties(List.of(
                        new CsdlProperty().setName("IsValid")
                                .setType(EdmPrimitiveTypeKind.Boolean.getFullQualifiedName()).setNullable(false))));
    }
}
