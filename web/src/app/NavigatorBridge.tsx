import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { setUnauthorizedHandler } from '../api/client';
import { setNavigator } from '../lib/navigation';
import { meQueryKey } from '../features/auth/api/me';

/** Gives the API client the router's navigate (no full reload on 401/403) and a way to forget the user. */
export function NavigatorBridge() {
  const navigate = useNavigate();
  const qc = useQueryClient();
  useEffect(() => {
    setNavigator((to) => navigate(to));
    setUnauthorizedHandler(() => qc.setQueryData(meQueryKey, null));
    return () => {
      setNavigator(null);
      setUnauthorizedHandler(null);
    };
  }, [navigate, qc]);
  return null;
}
