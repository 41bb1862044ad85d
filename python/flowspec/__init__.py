"""flowspec's Python side: helpers that run inside a worker (`_runtime`)."""
