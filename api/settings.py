"""Settings of the service and the command line, read from the environment (prefix FUNENG_,
nested sections with `__`, e.g. FUNENG_INDEX__WARNED_FACTOR=0.5). Only the edges read them;
libraries receive plain values."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, BaseModel, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "funeng-development-secret-do-not-use-in-production"


class ModelSettings(BaseModel):
    """The sentence-embedding model: a local folder built by `funeng model build`, or any
    sentence-transformers model path or name (a deployment with hub access may set one)."""

    path: Path = Path("var/models/multilingual-e5-small")
    name_or_path: str | None = None
    query_prefix: str = "query: "
    passage_prefix: str = "passage: "
    threads: int = 1
    batch_size: int = 32
    max_seq_length: int = 256


class IndexSettings(BaseModel):
    """Where snapshots live and how the library's state shapes ranking."""

    dir: Path = Path("var/index")
    warned_factor: float = 0.5
    priority_boost: float = 1.2
    poll_interval_seconds: float = 0.5
    # How passage vectors are kept: float16 (half the memory, about twice as fast to scan; on the
    # golden set the same figures as float32, see README) or float32 (exact).
    dense_storage: Literal["float32", "float16"] = "float16"  # matcher.dense.DenseStorage
    # Whether the app opens the live index at start-up. None: in every environment but "test",
    # whose unit tests run without a model (the match tests turn it on with a fake encoder).
    serve: bool | None = None


class MatchingSettings(BaseModel):
    """Defaults of the ranking configuration (the evaluation harness chooses them)."""

    default_k: int = 10
    max_k: int = 50


class AuthSettings(BaseModel):
    """Bearer tokens of the API and the cookie session of the web pages."""

    token_ttl_minutes: int = Field(default=480, ge=1)
    session_ttl_minutes: int = Field(default=480, ge=1)
    session_cookie: str = "funeng_session"
    # None: Secure everywhere except `development` (plain http on 127.0.0.1).
    cookie_secure: bool | None = None
    login_page: str = "/login"  # where a failed page login is sent back to
    # Failed sign-ins of one username in a moving window before 429 (an address: 4x as many).
    login_failures: int = Field(default=5, ge=1)
    login_window_minutes: int = Field(default=15, ge=1)


class ServerSettings(BaseModel):
    """The HTTP server: address, thread pool, request limits and logs."""

    host: str = "127.0.0.1"
    port: int = 8000
    threads: int = Field(default=8, ge=1)  # worker threads running the synchronous routes
    max_upload_mb: float = Field(default=20, gt=0)  # one evidence or licence file
    max_json_kb: int = Field(default=1024, ge=1)  # any other request body
    log_level: str = "INFO"
    log_json: bool = True


class Settings(BaseSettings):
    """All settings of one deployment."""

    model_config = SettingsConfigDict(
        env_prefix="FUNENG_", env_nested_delimiter="__", extra="ignore", populate_by_name=True
    )

    environment: Literal["development", "test", "production"] = "development"
    var_dir: Path = Path("var")
    database_url: str = Field(
        default="sqlite:///var/funeng.db",
        validation_alias=AliasChoices("FUNENG_DATABASE_URL", "DATABASE_URL", "database_url"),
    )
    secret_key: SecretStr = SecretStr(DEV_SECRET)
    model: ModelSettings = ModelSettings()
    index: IndexSettings = IndexSettings()
    matching: MatchingSettings = MatchingSettings()
    auth: AuthSettings = AuthSettings()
    server: ServerSettings = ServerSettings()

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.environment == "production":
            if (
                self.secret_key.get_secret_value() == DEV_SECRET
                or len(self.secret_key.get_secret_value()) < 32
            ):
                raise ValueError("生产环境必须设置 FUNENG_SECRET_KEY（至少 32 个字符）")
            if self.database_url.startswith("sqlite"):
                raise ValueError("生产环境应使用 PostgreSQL（DATABASE_URL=postgresql+psycopg://…）")
        return self
