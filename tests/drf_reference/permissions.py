"""The role check, apart from the views: DRF imports it while it builds APIView."""

from rest_framework import permissions


class RolePermission(permissions.BasePermission):
    """A view-only token may read, never write."""

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or request.user.member.role != "view_only"
