"""Text helpers shared by both Python processes (no Rasa, no bot imports)."""
