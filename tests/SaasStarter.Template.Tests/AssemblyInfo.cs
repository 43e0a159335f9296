// Each variant builds, tests and publishes a whole solution: on 2 cores running them side by side only
// makes every build slower and the timings meaningless.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
