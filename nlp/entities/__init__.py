"""Helpers of the entity_clusters component: name keys and type evidence."""
