"""Formats the tracker is written in: pure functions from domain objects to bytes."""
