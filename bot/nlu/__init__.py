"""Custom Rasa 3.6 NLU components and NLU data tools for the Kefu demo bot."""
