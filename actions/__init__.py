"""Custom actions of the Kefu demo shop bot (好物优选), served by rasa-sdk."""
