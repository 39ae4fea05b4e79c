import { render, screen } from '@testing-library/react';
import { AcmeLogoFull, AcmeLogoIcon } from './AcmeLogo';

describe('AcmeLogo', () => {
  it('draws the mark and the word Acme inline, as an image named Acme', () => {
    const { container } = render(<AcmeLogoFull />);
    const logo = screen.getByRole('img', { name: 'Acme' });
    expect(logo.tagName.toLowerCase()).toBe('svg');
    expect(logo).toHaveTextContent('Acme');
    // inline: nothing to load
    expect(container.querySelector('image, use, [href]')).toBeNull();
  });

  it('has the mark alone, also named Acme, for the closed sidebar', () => {
    render(<AcmeLogoIcon />);
    expect(screen.getByRole('img', { name: 'Acme' })).toBeInTheDocument();
  });
});
