"""Turning raw command-line values into one validated request; the only reader of the environment."""
