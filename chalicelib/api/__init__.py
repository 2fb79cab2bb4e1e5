"""The mobile API v1 and the back office API: parse -> call a service -> serialize. No business logic here."""
