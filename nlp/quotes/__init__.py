"""Quote finding and speaker resolution, used by the ``quotes`` and ``speakers`` components."""
