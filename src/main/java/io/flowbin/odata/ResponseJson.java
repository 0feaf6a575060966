package io.flowbin.odata;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;

/**
 * The JSON factory of response bodies. Its generators take their buffers from one bounded pool shared by all threads
 * rather than from a pool per thread (Jackson's default): a request without a body runs on a virtual thread of its
 * own, which would find its thread's pool empty every time and allocate fresh buffers.
 */
final class ResponseJson {
    /** Buffers kept for reuse; generators beyond this many at once allocate their own, dropped after use. */
    private static final int POOLED_BUFFERS = 256;

    static final JsonFactory FACTORY = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.newBoundedPool(POOLED_BUFFERS))
            .build();

    private ResponseJson() {}
}
