import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../test/render';
import { DeliveryBadge } from './badges';

describe('DeliveryBadge', () => {
  it('names the state of the email', () => {
    renderWithProviders(<DeliveryBadge delivery="failed" />);
    expect(screen.getByText('Failed')).toBeInTheDocument();
  });

  it('says "No email" when no email carries the link', () => {
    renderWithProviders(<DeliveryBadge delivery="" />);
    expect(screen.getByText('No email')).toBeInTheDocument();
  });
});
