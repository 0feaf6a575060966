package io.flowbin.messages;

import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import io.flowbin.metadata.ChoiceOption;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.TableDefinition;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The statecode/statuscode pairing of the metadata: each status belongs to one state, each state has a default
 * status. A write that gives one of the two gets the other derived; a pair that does not belong together is refused.
 */
final class StateRules {
    static final String STATE = "statecode";
    static final String STATUS = "statuscode";

    private StateRules() {}

    /** Completes and checks the state and status in {@code values}; {@code creating} fills the defaults. */
    static void apply(TableDefinition table, Map<String, @Nullable Object> values, boolean creating, UUID id) {
        ColumnDefinition state = table.column(STATE);
        ColumnDefinition status = table.column(STATUS);
        if (state == null || status == null) {
            return;
        }
        Integer stateValue = (Integer) values.get(STATE);
        Integer statusValue = (Integer) values.get(STATUS);
        if (stateValue == null && statusValue == null && !creating) {
            return;
        }
        if (stateValue == null && statusValue != null) {
            ChoiceOption statusOption = status.option(statusValue);
            stateValue = statusOption == null ? null : statusOption.state();
            if (stateValue == null) {
                throw invalidPair(table, statusValue, null, id);
            }
        }
        if (stateValue == null) {
            stateValue = state.defaultValue() != null ? state.defaultValue() : state.options().get(0).value();
        }
        ChoiceOption stateOption = state.option(stateValue);
        if (stateOption == null) {
            throw ErrorCodes.invalidArgument("A validation error occurred.  The value " + stateValue + " of the '"
                    + STATE + "' attribute of the '" + table.logicalName() + "' entity is not a valid option.");
        }
        if (statusValue == null) {
            statusValue = defaultStatus(status, stateOption);
        }
        ChoiceOption statusOption = status.option(statusValue);
        if (statusOption == null || statusOption.state() == null || statusOption.state() != stateValue) {
            throw invalidPair(table, statusValue, stateOption, id);
        }
        values.put(STATE, stateValue);
        values.put(STATUS, statusValue);
    }

    /** Whether a status value belongs to a state, as IsValidStateTransition and SetState ask. */
    static boolean belongs(ColumnDefinition status, int stateValue, int statusValue) {
        ChoiceOption option = status.option(statusValue);
        return option != null && option.state() != null && option.state() == stateValue;
    }

    private static int defaultStatus(ColumnDefinition status, ChoiceOption state) {
        Integer declared = state.defaultStatus();
        if (declared != null && belongs(status, state.value(), declared)) {
            return declared;
        }
        // the page may name a default status that is not among the state's options (flowsession's Inactive):
        // take the first status that belongs to the state
        for (ChoiceOption option : status.options()) {
            if (option.state() != null && option.state() == state.value()) {
                return option.value();
            }
        }
        throw ErrorCodes.invalidArgument("No status reason belongs to state " + state.value());
    }

    private static DataverseException invalidPair(TableDefinition table, int status, @Nullable ChoiceOption state,
            UUID id) {
        String stateName = state == null ? "(none)" : state.invariantName() != null ? state.invariantName()
                : state.label();
        return new DataverseException(
                400,
                ErrorCodes.INVALID_STATE_CODE_STATUS_CODE,
                status + " is not a valid status code for state code " + table.logicalName() + "State." + stateName
                        + " on " + table.logicalName() + " with Id " + id + ".");
    }
}
