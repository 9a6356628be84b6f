"""Risk: which customer messages go to a person at once (docs/handoff.md, "Risk").

Two detectors, both on the normalised text (rasa_plugins/text/normalize.py):
- `words.py`: the playbook's risk words, matched as words (not inside addresses or product names)
  and not when the customer negates or withdraws them ("投诉就不用了");
- `model.py`: a classifier over e5 sentence vectors for the playbook's four risk classes, which
  catches danger described in ordinary words ("燃气灶一直有味道"); trained by models/train_risk.py.
`detector.py` combines them; the gateway asks it about every message the bot would get.
"""
from __future__ import annotations

RISK_CLASSES = ("safety_health", "property_account", "legal_media", "repeated_anger")
NONE = "none"
