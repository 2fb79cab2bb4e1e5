"""Origination: from a new application to an activated line - documents, identity, liveness, credit data and the
decision, the offer, the contract and its signature."""
