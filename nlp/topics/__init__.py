"""IPTC Media Topics: the taxonomy, the sentence encoder, the trained topic head."""
