/// FlowStore keeps what runs produce: content-addressed blobs and run/task records.
/// It knows nothing of graphs or Python.
public enum FlowStore {}
