from metaflow import FlowSpec, step


class StartupFlow(FlowSpec):
    """The smallest flow Metaflow runs: start -> end, both doing nothing (bench/peers, start-up)."""

    @step
    def start(self):
        self.next(self.end)

    @step
    def end(self):
        pass


if __name__ == "__main__":
    StartupFlow()
