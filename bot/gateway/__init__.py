"""The gateway: the one door customers (and later agents) use. It talks to Rasa on their behalf."""
