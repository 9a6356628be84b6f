"""Data protection: retention and erasure of conversations (`kefu data purge`). The detector and
masking of personal values are in rasa_plugins/text/pii.py, shared with the Rasa process."""
