import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderScreen } from '../../test/renderScreen';
import { SyncMarker } from './SyncMarker';

describe('SyncMarker', () => {
  it('names a row in conflict and a row waiting for sync', () => {
    renderScreen(
      <>
        <SyncMarker mark="conflict" />
        <SyncMarker mark="waiting" />
      </>,
    );
    expect(screen.getByRole('img', { name: 'In conflict — see Sync → Conflicts' })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'Waiting for sync' })).toBeInTheDocument();
  });

  it('shows nothing for a row the server has', () => {
    const { container } = renderScreen(<SyncMarker mark="" />);
    expect(container.querySelector('[data-sync]')).toBeNull();
  });
});
