"""Tests of the custom Rasa NLU components (rasa_plugins/nlu/)."""
