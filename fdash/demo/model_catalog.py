"""The models sessions use: ids, providers, thinking habits, router targets, provider locks."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ModelSpec:
    id: str
    provider: str  # anthropic | openai | google | generic
    display: str
    weight: float
    thinking: float  # probability of a thinking block per assistant message
    byok: bool = False


MODELS = (
    ModelSpec("claude-opus-4-5-20251101", "anthropic", "Opus 4.5", 16, 0.6),
    ModelSpec("claude-sonnet-4-5-20250929", "anthropic", "Sonnet 4.5", 24, 0.5),
    ModelSpec("claude-haiku-4-5-20251001", "anthropic", "Haiku 4.5", 8, 0.2),
    ModelSpec("gpt-5.1-codex", "openai", "GPT-5.1-Codex", 10, 0.7),
    ModelSpec("gpt-5.2", "openai", "GPT-5.2", 8, 0.7),
    ModelSpec("gemini-3-pro-preview", "google", "Gemini 3 Pro", 6, 0.5),
    ModelSpec("glm-4.6", "generic", "GLM-4.6", 5, 0.4),
    ModelSpec(
        "custom:GPT-5.4-Mini-[OpenAI-BYOK]-0",
        "openai",
        "GPT-5.4 Mini [OpenAI BYOK]",
        4,
        0.6,
        byok=True,
    ),
    ModelSpec(
        "custom:Qwen3-Coder-480B-[Fireworks]-1",
        "generic",
        "Qwen3 Coder 480B [Fireworks]",
        2,
        0.0,
        byok=True,
    ),
    ModelSpec("acme-coder-9", "generic", "Acme Coder 9", 1.5, 0.3),  # not in any price table
)
AUTO_WEIGHT = 12
ROUTER_TARGETS = MODELS[:7]
PROVIDER_LOCK = {
    "anthropic": "anthropic",
    "openai": "openai",
    "google": "google",
    "generic": "generic-chat-completion-api",
}
EFFORTS = ("none", "low", "medium", "high")
