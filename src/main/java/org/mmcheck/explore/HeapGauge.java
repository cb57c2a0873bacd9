package org.mmcheck.explore;

/** The explorer's view of the heap; an interface so tests can fake memory pressure. */
interface HeapGauge {

    /** Bytes in use, garbage included. */
    long used();

    /** The most the heap may grow to, or {@code Long.MAX_VALUE} when unbounded. */
    long max();

    /** Asks for a full collection so that {@link #used()} approaches the live size. */
    void collect();

    /** The running JVM's heap. */
    static HeapGauge runtime() {
        Runtime rt = Runtime.getRuntime();
        return new HeapGauge() {
            @Override
            public long used() {
                return rt.totalMemory() - rt.freeMemory();
            }

            @Override
            public long max() {
                return rt.maxMemory();
            }

            @Override
            public void collect() {
                System.gc();
            }
        };
    }
}
