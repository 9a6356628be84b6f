"""Readers that turn a service team's files into chunks."""
