"""The lake pipeline: paths, cleaning, validation, import, the runner and the CLI."""
