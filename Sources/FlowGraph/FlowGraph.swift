/// FlowGraph turns a spec's steps into a graph, checks its shape and data flow, and plans runs.
public enum FlowGraph {}
