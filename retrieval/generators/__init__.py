"""Answer generators behind one interface; `create_generator` picks one from config."""
