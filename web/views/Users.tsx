/**
 * Users and access (admins): the list with role, districts, last sign-in and status; adding a user
 * with a one-time password shown once (or a typed one); and, for the user chosen in the list (kept in
 * the URL as `user`), changing role and districts, disabling or enabling, a new password, ending all
 * sessions, and removal. Every step is a call to /api/users, which checks and records it.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { type UserChanged, type UserRow, usersApi } from '../api/users.ts';

type Role = UserRow['role'];

import { useUser } from '../auth/session.ts';
import { type Column, DataTable } from '../components/DataTable.tsx';
import { EmptyState, QueryView } from '../components/States.tsx';
import { useNames } from '../components/useNames.ts';
import { useT } from '../i18n/useT.ts';
import { formatDateTime, formatNumber } from '../lib/format.ts';
import { metaOptions } from '../queries/meta.ts';
import { urlOf } from '../queries/query.ts';
import { usersOptions } from '../queries/users.ts';
import { useNav } from '../router.tsx';

const ROLES: readonly Role[] = ['commissioner', 'manager', 'inspector', 'admin'];

type Feedback = { kind: 'ok' | 'error'; text: string } | null;

function errorText(err: unknown): string {
  return err instanceof ApiError || err instanceof Error ? err.message : String(err);
}

export default function Users() {
  const { t } = useT();
  const user = useUser();
  const { state } = useNav();
  if (user?.role !== 'admin') return <EmptyState message={t.users.noAccess} />;
  const selected = state.view.user;
  return (
    <div className="view" data-testid="view-users">
      <p className="intro">{t.users.intro}</p>
      <UserList />
      {selected ? <UserEditor key={selected} username={selected} self={selected === user.username} /> : null}
      <AddUser />
    </div>
  );
}

function useDistrictList(): (names: number[] | null) => string {
  const { t, lang } = useT();
  const names = useNames();
  return (ds) =>
    ds === null ? t.users.wholeCity : ds.map((d) => names.district(d)).join(lang === 'fa' ? '، ' : ', ');
}

function UserList() {
  const { t, lang } = useT();
  const { setView } = useNav();
  const users = useQuery(usersOptions());
  const districtList = useDistrictList();
  const columns: Column<UserRow>[] = [
    {
      key: 'username',
      header: t.users.username,
      value: (r) => r.username,
      render: (r) => <span dir="ltr">{r.username}</span>,
    },
    { key: 'role', header: t.users.role, value: (r) => t.auth.roles[r.role] ?? r.role },
    { key: 'districts', header: t.users.districts, value: (r) => districtList(r.districts), wrap: true },
    {
      key: 'last_login_at',
      header: t.users.lastLogin,
      value: (r) => r.last_login_at,
      render: (r) => (r.last_login_at ? formatDateTime(r.last_login_at, lang) : t.users.never),
    },
    {
      key: 'status',
      header: t.users.status,
      value: (r) =>
        r.disabled ? t.users.disabled : r.must_change_password ? t.users.mustChange : t.users.active,
      render: (r) => (
        <span
          className={r.disabled ? 'user-status user-disabled' : 'user-status'}
          data-testid="user-status-cell"
        >
          {r.disabled ? t.users.disabled : r.must_change_password ? t.users.mustChange : t.users.active}
        </span>
      ),
    },
    {
      key: 'sessions',
      header: t.users.sessions,
      value: (r) => r.sessions,
      render: (r) => formatNumber(r.sessions, lang),
      numeric: true,
    },
    {
      key: 'manage',
      header: t.users.manage,
      value: () => null,
      sortable: false,
      render: (r) => (
        <button
          type="button"
          className="btn btn-small no-print"
          aria-label={t.users.manageLabel(r.username)}
          onClick={() => setView({ user: r.username })}
          data-testid={`manage-${r.username}`}
        >
          {t.users.manage}
        </button>
      ),
    },
  ];
  return (
    <section className="card" aria-labelledby="users-title">
      <header className="card-head">
        <h2 id="users-title">{t.users.listTitle}</h2>
      </header>
      <QueryView query={users} what={t.users.listTitle} height={200}>
        {(d) => (
          <DataTable
            id="users"
            xlsx={urlOf(usersOptions())}
            caption={t.users.listTitle}
            columns={columns}
            rows={d.users}
            rowKey={(r) => r.username}
            csv={false}
          />
        )}
      </QueryView>
    </section>
  );
}

/** A multi-select of the city's districts (an inspector's scope). */
function DistrictPicker({
  value,
  onChange,
  id,
  testid,
}: {
  value: number[];
  onChange: (ds: number[]) => void;
  id: string;
  testid: string;
}) {
  const { lang } = useT();
  const meta = useQuery(metaOptions());
  return (
    <select
      id={id}
      multiple
      size={6}
      value={value.map(String)}
      onChange={(e) => onChange([...e.target.selectedOptions].map((o) => Number(o.value)))}
      data-testid={testid}
    >
      {(meta.data?.districts ?? []).map((d) => (
        <option key={d.district} value={String(d.district)}>
          {lang === 'fa' ? d.name_fa : d.name_en}
        </option>
      ))}
    </select>
  );
}

function OneTimePassword({ username, password }: { username: string; password: string }) {
  const { t } = useT();
  return (
    <div className="one-time" role="status" data-testid="one-time">
      <h3>{t.users.oneTimeTitle(username)}</h3>
      <code dir="ltr" className="one-time-password" data-testid="one-time-password">
        {password}
      </code>
      <p className="state-hint">{t.users.oneTimeHint}</p>
    </div>
  );
}

function FeedbackLine({ feedback }: { feedback: Feedback }) {
  const { t } = useT();
  if (!feedback) return null;
  return feedback.kind === 'ok' ? (
    <p role="status" data-testid="user-feedback">
      {feedback.text}
    </p>
  ) : (
    <p className="field-error" role="alert" dir="auto" data-testid="user-error">
      {t.users.failed} {feedback.text}
    </p>
  );
}

function AddUser() {
  const { t } = useT();
  const queryClient = useQueryClient();
  const [role, setRole] = useState<Role>('inspector');
  const [districts, setDistricts] = useState<number[]>([]);
  const [typed, setTyped] = useState(false);
  const [busy, setBusy] = useState(false);
  const [feedback, setFeedback] = useState<Feedback>(null);
  const [added, setAdded] = useState<UserChanged | null>(null);
  const ids = { username: useId(), role: useId(), districts: useId(), password: useId(), hint: useId() };

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    setBusy(true);
    setFeedback(null);
    setAdded(null);
    try {
      const r = await usersApi.add({
        username: String(form.get('username') ?? '').trim(),
        role,
        districts: role === 'inspector' ? districts : [],
        ...(typed ? { password: String(form.get('password') ?? '') } : {}),
      });
      setAdded(r);
      setFeedback({ kind: 'ok', text: t.users.added(r.user.username) });
      formEl.reset();
      setDistricts([]);
      await queryClient.invalidateQueries({ queryKey: ['users'] });
    } catch (err) {
      setFeedback({ kind: 'error', text: errorText(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="add-user-title" data-testid="add-user">
      <header className="card-head">
        <h2 id="add-user-title">{t.users.addTitle}</h2>
      </header>
      <form className="user-form no-print" onSubmit={submit} data-testid="add-user-form">
        <div className="field">
          <label htmlFor={ids.username}>{t.users.username}</label>
          <input
            id={ids.username}
            name="username"
            dir="ltr"
            required
            maxLength={32}
            autoComplete="off"
            aria-describedby={ids.hint}
            data-testid="add-username"
          />
          <span id={ids.hint} className="state-hint">
            {t.users.usernameHint}
          </span>
        </div>
        <div className="field">
          <label htmlFor={ids.role}>{t.users.role}</label>
          <select
            id={ids.role}
            value={role}
            onChange={(e) => setRole(e.target.value as Role)}
            data-testid="add-role"
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t.auth.roles[r]}
              </option>
            ))}
          </select>
        </div>
        {role === 'inspector' ? (
          <div className="field">
            <label htmlFor={ids.districts}>{t.users.districts}</label>
            <DistrictPicker
              id={ids.districts}
              value={districts}
              onChange={setDistricts}
              testid="add-districts"
            />
            <span className="state-hint">{t.users.districtsHint}</span>
          </div>
        ) : null}
        <fieldset className="field password-choice">
          <legend>{t.users.passwordChoice}</legend>
          <label className="inline-field">
            <input
              type="radio"
              name="password_mode"
              checked={!typed}
              onChange={() => setTyped(false)}
              data-testid="add-generate"
            />{' '}
            {t.users.generate}
          </label>
          <label className="inline-field">
            <input
              type="radio"
              name="password_mode"
              checked={typed}
              onChange={() => setTyped(true)}
              data-testid="add-typed"
            />{' '}
            {t.users.typed}
          </label>
          {typed ? (
            <>
              <label htmlFor={ids.password} className="sr-only">
                {t.users.passwordLabel}
              </label>
              <input
                id={ids.password}
                name="password"
                type="password"
                dir="ltr"
                required
                minLength={8}
                maxLength={256}
                autoComplete="new-password"
                placeholder={t.users.passwordLabel}
                data-testid="add-password"
              />
            </>
          ) : null}
        </fieldset>
        <button type="submit" className="btn" disabled={busy} data-testid="add-submit">
          {busy ? t.users.adding : t.users.add}
        </button>
      </form>
      <FeedbackLine feedback={feedback} />
      {added?.one_time_password ? (
        <OneTimePassword username={added.user.username} password={added.one_time_password} />
      ) : null}
    </section>
  );
}

/** A button that asks once more, inline, before a change that cannot be taken back quietly. */
function ConfirmButton({
  label,
  question,
  onConfirm,
  disabled,
  testid,
}: {
  label: string;
  question: string;
  onConfirm: () => void;
  disabled?: boolean;
  testid: string;
}) {
  const { t } = useT();
  const [armed, setArmed] = useState(false);
  if (!armed)
    return (
      <button
        type="button"
        className="btn"
        disabled={disabled}
        onClick={() => setArmed(true)}
        data-testid={testid}
      >
        {label}
      </button>
    );
  return (
    <fieldset className="confirm">
      <legend>{question}</legend>
      <button
        type="button"
        className="btn btn-danger"
        onClick={() => {
          setArmed(false);
          onConfirm();
        }}
        data-testid={`${testid}-confirm`}
      >
        {t.users.confirm}
      </button>
      <button type="button" className="btn" onClick={() => setArmed(false)}>
        {t.users.cancel}
      </button>
    </fieldset>
  );
}

function UserEditor({ username, self }: { username: string; self: boolean }) {
  const { t, lang } = useT();
  const { setView } = useNav();
  const queryClient = useQueryClient();
  const users = useQuery(usersOptions());
  const current = users.data?.users.find((u) => u.username === username);
  const [role, setRole] = useState<Role | null>(null);
  const [districts, setDistricts] = useState<number[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [feedback, setFeedback] = useState<Feedback>(null);
  const [oneTime, setOneTime] = useState<string | null>(null);
  const ids = { role: useId(), districts: useId(), password: useId() };

  if (!users.data) return null;
  if (!current) return null;
  const shownRole = role ?? current.role;
  const shownDistricts = districts ?? current.districts ?? [];
  const n = (x: number) => formatNumber(x, lang);

  async function run(step: () => Promise<string>) {
    setBusy(true);
    setFeedback(null);
    setOneTime(null);
    try {
      setFeedback({ kind: 'ok', text: await step() });
      setRole(null);
      setDistricts(null);
    } catch (err) {
      setFeedback({ kind: 'error', text: errorText(err) });
    } finally {
      setBusy(false);
      await queryClient.invalidateQueries({ queryKey: ['users'] });
    }
  }

  const save = () =>
    run(async () => {
      await usersApi.change(username, {
        role: shownRole,
        districts: shownRole === 'inspector' ? shownDistricts : [],
      });
      return t.users.saved;
    });
  const setDisabled = (disabled: boolean) =>
    run(async () => {
      const r = await usersApi.change(username, { disabled });
      return disabled ? t.users.disabledDone(username, n(r.sessions_ended)) : t.users.enabled(username);
    });
  const resetPassword = () =>
    run(async () => {
      const r = await usersApi.change(username, { generate_password: true });
      setOneTime(r.one_time_password);
      return t.users.passwordSet(username);
    });
  const setTypedPassword = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const formEl = e.currentTarget;
    const password = String(new FormData(formEl).get('password') ?? '');
    return run(async () => {
      await usersApi.change(username, { password });
      formEl.reset();
      return t.users.passwordSet(username);
    });
  };
  const endSessions = () =>
    run(async () =>
      t.users.sessionsEnded(n((await usersApi.change(username, { end_sessions: true })).sessions_ended)),
    );
  const remove = () =>
    run(async () => {
      await usersApi.remove(username);
      setView({ user: undefined }, { replace: true });
      return t.users.removed(username);
    });

  const block = (children: ReactNode) => <div className="card-actions user-actions">{children}</div>;

  return (
    <section className="card" aria-labelledby="edit-user-title" data-testid="edit-user">
      <header className="card-head">
        <h2 id="edit-user-title">{t.users.editTitle(username)}</h2>
        <button type="button" className="btn btn-small" onClick={() => setView({ user: undefined })}>
          {t.users.close}
        </button>
      </header>
      {self ? <p className="note">{t.users.self}</p> : null}
      <div className="user-form">
        <div className="field">
          <label htmlFor={ids.role}>{t.users.role}</label>
          <select
            id={ids.role}
            value={shownRole}
            disabled={self || busy}
            onChange={(e) => setRole(e.target.value as Role)}
            data-testid="edit-role"
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t.auth.roles[r]}
              </option>
            ))}
          </select>
        </div>
        {shownRole === 'inspector' ? (
          <div className="field">
            <label htmlFor={ids.districts}>{t.users.districts}</label>
            <DistrictPicker
              id={ids.districts}
              value={shownDistricts}
              onChange={setDistricts}
              testid="edit-districts"
            />
          </div>
        ) : null}
        <button
          type="button"
          className="btn"
          disabled={self || busy || (role === null && districts === null)}
          onClick={save}
          data-testid="edit-save"
        >
          {t.users.save}
        </button>
      </div>
      {block(
        <>
          {current.disabled ? (
            <button
              type="button"
              className="btn"
              disabled={busy}
              onClick={() => setDisabled(false)}
              data-testid="edit-enable"
            >
              {t.users.enable}
            </button>
          ) : (
            <ConfirmButton
              label={t.users.disable}
              question={t.users.confirmDisable(username)}
              onConfirm={() => setDisabled(true)}
              disabled={self || busy}
              testid="edit-disable"
            />
          )}
          <ConfirmButton
            label={t.users.endSessions}
            question={t.users.confirmEndSessions(username)}
            onConfirm={endSessions}
            disabled={busy}
            testid="edit-end-sessions"
          />
          <ConfirmButton
            label={t.users.resetGenerate}
            question={t.users.confirmReset(username)}
            onConfirm={resetPassword}
            disabled={self || busy}
            testid="edit-reset"
          />
          <ConfirmButton
            label={t.users.remove}
            question={t.users.confirmRemove(username)}
            onConfirm={remove}
            disabled={self || busy}
            testid="edit-remove"
          />
        </>,
      )}
      <form className="user-form" onSubmit={setTypedPassword}>
        <div className="field">
          <label htmlFor={ids.password}>{t.users.newPassword}</label>
          <input
            id={ids.password}
            name="password"
            type="password"
            dir="ltr"
            required
            minLength={8}
            maxLength={256}
            autoComplete="new-password"
            disabled={self || busy}
            data-testid="edit-password"
          />
        </div>
        <button type="submit" className="btn" disabled={self || busy} data-testid="edit-set-password">
          {t.users.setTyped}
        </button>
      </form>
      <FeedbackLine feedback={feedback} />
      {oneTime ? <OneTimePassword username={username} password={oneTime} /> : null}
    </section>
  );
}
