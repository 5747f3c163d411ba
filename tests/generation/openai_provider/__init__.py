"""The OpenAI provider, with the real `openai` client talking HTTP to the fake server
(tests/fakes/openai_server/): stories, faults, pictures and moderation."""
