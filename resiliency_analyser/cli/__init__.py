"""The command line: commands, their parameters, progress and the summary on the console."""
