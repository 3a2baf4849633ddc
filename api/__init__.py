"""The HTTP API of newsnlp. It calls ``nlp.Annotator`` and nothing else of the pipeline."""
