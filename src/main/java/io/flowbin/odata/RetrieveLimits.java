package io.flowbin.odata;

import io.flowbin.messages.RetrieveMultipleMessage;
import org.jspecify.annotations.Nullable;

/** Dataverse's page and row limits: pages of at most 5,000 rows, {@code $top} from 0 to 5,000. Stateless. */
final class RetrieveLimits {
    static final int MAX_PAGE_SIZE = RetrieveMultipleMessage.COUNT_LIMIT;

    private RetrieveLimits() {}

    /** The {@code $top} value, checked; {@value #MAX_PAGE_SIZE} when absent. */
    static int top(@Nullable Integer top) {
        if (top == null) {
            return MAX_PAGE_SIZE;
        }
        if (top < 0 || top > MAX_PAGE_SIZE) {
            throw QueryErrors.invalid("The value of $top must be between 0 and " + MAX_PAGE_SIZE + "; it is " + top
                    + ".");
        }
        return top;
    }

    /** The page size a {@code Prefer: odata.maxpagesize} asks for, within the limits; the maximum without one. */
    static int pageSize(@Nullable Integer preferred) {
        if (preferred == null || preferred <= 0 || preferred > MAX_PAGE_SIZE) {
            return MAX_PAGE_SIZE;
        }
        return preferred;
    }
}
