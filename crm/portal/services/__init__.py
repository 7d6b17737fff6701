"""Writes of the action log and the portal; import the sub-modules directly."""
