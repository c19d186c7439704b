"""Equality Framework for Local Government action-plan dashboard."""
