"""Tests of the custom Rasa NLU components (bot/nlu/)."""
