"""Pushes the bot sends on its own (digests, timed follow-ups): paced, retried, logged."""
