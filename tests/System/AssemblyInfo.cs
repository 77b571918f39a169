// System tests start real silo processes and measure detection times and latencies on a 2-core machine: two of them
// at once would starve each other and measure the contention instead. One at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
