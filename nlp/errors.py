"""One small exception hierarchy. Every error has a stable ``code`` that the API and the
batch error file report, and a message that says what *is* supported."""
from __future__ import annotations


class NewsNLPError(Exception):
    """Base of every error newsnlp raises on purpose."""

    code: str = "newsnlp_error"
    #: The HTTP status the API answers with; the pipeline itself never looks at it.
    http_status: int = 422

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


class InvalidInputError(NewsNLPError):
    """The input object is not of the supported shape."""

    code = "invalid_input"


class MalformedJSONError(InvalidInputError):
    code = "malformed_json"


class UndecodableInputError(InvalidInputError):
    code = "undecodable"


class EmptyTextError(InvalidInputError):
    code = "empty_text"


class BinaryContentError(InvalidInputError):
    code = "binary_content"


class UnsupportedLanguageError(InvalidInputError):
    code = "unsupported_language"

    def __init__(self, language: str, message: str | None = None) -> None:
        self.language = language
        super().__init__(
            message
            or f"the article looks like language '{language}'; newsnlp analyses English ('en') only"
        )


class TooLargeError(NewsNLPError):
    code = "too_large"
    http_status = 413


class UnsupportedFeatureError(InvalidInputError):
    code = "unsupported_feature"


class UnsupportedFileError(InvalidInputError):
    code = "unsupported_file"


class ModelLoadError(NewsNLPError):
    """A configured model is not installed; raised at start-up, never per article."""

    code = "model_not_found"
    http_status = 503
