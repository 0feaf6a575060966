package io.flowbin.metadata;

import org.jspecify.annotations.Nullable;

/**
 * One option of a choice column.
 *
 * @param value the stored integer (for Boolean columns 1 = true, 0 = false)
 * @param label the display label, also the formatted value
 * @param state for a Status option: the state it belongs to
 * @param defaultStatus for a State option: the status a row takes when only the state is set
 * @param invariantName for a State option: the name used by SetState and IsValidStateTransition
 */
public record ChoiceOption(
        int value,
        String label,
        @Nullable Integer state,
        @Nullable Integer defaultStatus,
        @Nullable String invariantName) {}
