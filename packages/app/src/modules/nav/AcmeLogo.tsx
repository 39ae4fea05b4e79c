import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  full: { width: 'auto', height: 32 },
  icon: { width: 'auto', height: 28 },
});

/** Acme's mark: a stylised "A" (two strokes and a cross-bar) on a rounded square. */
function Mark() {
  return (
    <>
      <rect width="32" height="32" rx="8" fill="#4f46e5" />
      <path
        d="M9 24.5 16 7.5l7 17"
        fill="none"
        stroke="#ffffff"
        strokeWidth="3.2"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
      <path
        d="M12.2 18.5h7.6"
        fill="none"
        stroke="#7df3e1"
        strokeWidth="3.2"
        strokeLinecap="round"
      />
    </>
  );
}

/** The mark and the word "Acme", for the open sidebar. Drawn inline: no request to load it. */
export function AcmeLogoFull() {
  const classes = useStyles();
  return (
    <svg
      className={classes.full}
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 112 32"
      role="img"
      aria-label="Acme"
    >
      <Mark />
      <text
        x="42"
        y="24"
        fill="#ffffff"
        fontFamily="inherit"
        fontSize="22"
        fontWeight="700"
        letterSpacing="0.5"
      >
        Acme
      </text>
    </svg>
  );
}

/** The mark alone, for the closed sidebar. */
export function AcmeLogoIcon() {
  const classes = useStyles();
  return (
    <svg
      className={classes.icon}
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 32 32"
      role="img"
      aria-label="Acme"
    >
      <Mark />
    </svg>
  );
}
