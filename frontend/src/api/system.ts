import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import * as System from '../../wailsjs/go/app/System';
import type { app } from '../../wailsjs/go/models';
import { EventsOn } from '../../wailsjs/runtime/runtime';
import { call } from './client';

export type State = app.StateDTO;
export type SetupParams = app.SetupParams;
export type Language = '' | 'en' | 'de';

export const systemKeys = {
  state: ['system', 'state'] as const,
};

export function getState(): Promise<State> {
  return call(() => System.GetState());
}

export function completeSetup(params: SetupParams): Promise<State> {
  return call(() => System.CompleteSetup(params));
}

/** takeStartScreen returns the screen `roster --open SCREEN` asked for, once. */
export function takeStartScreen(): Promise<string> {
  return call(() => System.TakeStartScreen());
}

/** onOpenScreen follows a second launch's --open; call the result to stop. */
export function onOpenScreen(listener: (screen: string) => void): () => void {
  return EventsOn('app:open', (e: { screen: string }) => listener(e.screen));
}

export function updatePreferences(language: Language): Promise<{ language: string }> {
  return call(() => System.UpdatePreferences({ language }));
}

/** useSystemState is the organisation, the administrator and the preferences. */
export function useSystemState() {
  return useQuery({ queryKey: systemKeys.state, queryFn: getState, staleTime: Number.POSITIVE_INFINITY });
}

export function useCompleteSetup() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: completeSetup,
    onSuccess: (state) => qc.setQueryData(systemKeys.state, state),
  });
}

export function useUpdateLanguage() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: updatePreferences,
    onSuccess: (prefs) =>
      qc.setQueryData<State>(systemKeys.state, (s) =>
        s ? ({ ...s, language: prefs.language } as State) : s,
      ),
  });
}
