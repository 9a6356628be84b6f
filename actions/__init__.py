"""Custom actions of the Kefu demo shop bot (好物优选), served by rasa-sdk."""
from rasa_plugins.text import log_masking

log_masking.install()  # personal data never reaches the action server's log
