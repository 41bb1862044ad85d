"""What a flowspec worker runs inside its embedded interpreter: `handler.handle` answers one request
of the worker protocol (specs/worker-protocol.md). Standard library only."""
