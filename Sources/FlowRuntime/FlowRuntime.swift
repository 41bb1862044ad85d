/// FlowRuntime runs an execution plan: the scheduler, task executors and the worker pool.
public enum FlowRuntime {}
