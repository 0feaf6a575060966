package io.flowbin.messages;

import io.flowbin.data.StoredRow;
import io.flowbin.error.ErrorCodes;
import io.flowbin.metadata.ChoiceOption;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import io.flowbin.security.AccessRight;
import io.flowbin.security.Caller;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The IsValidStateTransition function: whether a row may move to a state (named by its invariant name, as the SDK
 * passes it) with a status reason. The row must exist; the answer is true when the state is one of the table's and
 * the status belongs to it. The definitions declare no transition data (TransitionData is None), so any valid pair
 * may follow any other; an unknown state or status gives false, not an error. Thread-safe.
 */
public final class IsValidStateTransitionMessage {
    private final MessageContext context;

    public IsValidStateTransitionMessage(MessageContext context) {
        this.context = context;
    }

    public record Request(TableDefinition table, UUID id, String newState, int newStatus, Caller caller) {}

    public boolean execute(Request request) {
        TableDefinition table = request.table();
        ColumnDefinition state = table.column(StateRules.STATE);
        ColumnDefinition status = table.column(StateRules.STATUS);
        List<ColumnDefinition> key = List.of(Objects.requireNonNull(table.column(table.primaryIdAttribute())));
        StoredRow row = context.database().inTransaction(tx -> {
            context.guard().requireRow(tx, request.caller(), table, request.id(), AccessRight.READ);
            return context.store().select(tx, table, request.id(), key, false);
        });
        if (row == null) {
            throw ErrorCodes.rowNotFound(table.logicalName(), request.id());
        }
        if (state == null || status == null) {
            return false;
        }
        ChoiceOption target = stateNamed(state, request.newState());
        return target != null && StateRules.belongs(status, target.value(), request.newStatus());
    }

    private static @Nullable ChoiceOption stateNamed(ColumnDefinition state, String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (ChoiceOption option : state.options()) {
            String invariant = option.invariantName() != null ? option.invariantName() : option.label();
            if (invariant.toLowerCase(Locale.ROOT).equals(wanted) || String.valueOf(option.value()).equals(wanted)) {
                return option;
            }
        }
        return null;
    }
}
