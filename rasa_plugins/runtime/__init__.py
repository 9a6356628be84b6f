"""Code that runs inside the Rasa 3.6 process (Python 3.10): keep it free of 3.11-only syntax."""
