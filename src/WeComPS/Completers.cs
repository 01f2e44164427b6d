using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS.Commands
{
    /// <summary>
    /// Completes department ids from the connection in use (-Connection if typed, else the current one): the id
    /// as completion text, "id name" in the list and the path as tooltip. Matches ids by prefix and names by wildcard.
    /// </summary>
    public sealed class DepartmentIdCompleter : IArgumentCompleter
    {
        private static readonly CompletionCache<IReadOnlyList<WeComDepartment>> Departments =
            new CompletionCache<IReadOnlyList<WeComDepartment>>((connection, cancellationToken) => connection.Departments.GetTreeAsync(cancellationToken));

        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completion.Safely(fakeBoundParameters, wordToComplete, Departments, (departments, word) => departments
                .Where(d => Completion.Matches(d.Id, d.Name, word))
                .Select(d =>
                {
                    var id = d.Id.ToString(CultureInfo.InvariantCulture);
                    return new CompletionResult(id, $"{id} {d.Name}", CompletionResultType.ParameterValue, d.Path ?? d.Name ?? id);
                }));
    }

    /// <summary>Completes department names from the connection in use, quoted where PowerShell needs it, with the path as tooltip.</summary>
    public sealed class DepartmentNameCompleter : IArgumentCompleter
    {
        private static readonly CompletionCache<IReadOnlyList<WeComDepartment>> Departments =
            new CompletionCache<IReadOnlyList<WeComDepartment>>((connection, cancellationToken) => connection.Departments.GetTreeAsync(cancellationToken));

        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completion.Safely(fakeBoundParameters, wordToComplete, Departments, (departments, word) => departments
                .Where(d => d.Name != null && Completion.Matches(null, d.Name, word))
                .Select(d => d.Name!)
                .Distinct()
                .Select(name => new CompletionResult(Completion.Quote(name, wordToComplete), name, CompletionResultType.ParameterValue, string.Join(", ", departments.Where(d => d.Name == name).Select(d => d.Path)))));
    }

    /// <summary>Completes userids from the light list of the connection in use: "userid name" in the list.</summary>
    public sealed class UserIdCompleter : IArgumentCompleter
    {
        private static readonly CompletionCache<IReadOnlyList<WeComUser>> Users =
            new CompletionCache<IReadOnlyList<WeComUser>>(async (connection, cancellationToken) =>
            {
                var users = new List<WeComUser>();
                await foreach (var result in connection.Users.GetAllAsync(simple: true, null, null, cancellationToken).ConfigureAwait(false))
                {
                    if (result.Value != null)
                    {
                        users.Add(result.Value);
                    }
                }

                return users;
            });

        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completion.Safely(fakeBoundParameters, wordToComplete, Users, (users, word) => users
                .Where(u => Completion.Matches(null, u.UserId, word) || Completion.Matches(null, u.Name, word))
                .Select(u => new CompletionResult(Completion.Quote(u.UserId, wordToComplete), $"{u.UserId} {u.Name}", CompletionResultType.ParameterValue, u.Name ?? u.UserId)));
    }

    /// <summary>Completes tag ids from the connection in use: the id as completion text, "id name" in the list and the name as tooltip.</summary>
    public sealed class TagIdCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completion.Safely(fakeBoundParameters, wordToComplete, Completion.Tags, (tags, word) => tags
                .Where(t => Completion.Matches(t.TagId, t.TagName, word))
                .Select(t =>
                {
                    var id = t.TagId.ToString(CultureInfo.InvariantCulture);
                    return new CompletionResult(id, $"{id} {t.TagName}", CompletionResultType.ParameterValue, t.TagName);
                }));
    }

    /// <summary>Completes tag names from the connection in use, quoted where PowerShell needs it, with the tag id as tooltip.</summary>
    public sealed class TagNameCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completion.Safely(fakeBoundParameters, wordToComplete, Completion.Tags, (tags, word) => tags
                .Where(t => Completion.Matches(null, t.TagName, word))
                .Select(t => new CompletionResult(Completion.Quote(t.TagName, wordToComplete), t.TagName, CompletionResultType.ParameterValue, $"Tag {t.TagId}")));
    }

    /// <summary>What the WeCom completers share: the connection, the cache, matching, quoting, and never failing.</summary>
    internal static class Completion
    {
        public static readonly CompletionCache<IReadOnlyList<WeComTag>> Tags =
            new CompletionCache<IReadOnlyList<WeComTag>>((connection, cancellationToken) => connection.Tags.GetAllAsync(cancellationToken));

        private const string NeedsQuotes = " \t'\"`$;,(){}[]@#|&<>";

        /// <summary>
        /// Runs <paramref name="complete"/> on the cached items of the connection in use. Tab completion must never
        /// fail or hang: no connection, a failed or slow read, or any error yields no results.
        /// </summary>
        public static IEnumerable<CompletionResult> Safely<T>(IDictionary? fakeBoundParameters, string? wordToComplete, CompletionCache<T> cache, Func<T, string, IEnumerable<CompletionResult>> complete)
            where T : class
        {
            try
            {
                var connection = ConnectionOf(fakeBoundParameters);
                var items = connection is null ? null : cache.Get(connection);
                return items is null ? Array.Empty<CompletionResult>() : complete(items, Unquote(wordToComplete)).ToList();
            }
            catch (Exception)
            {
                return Array.Empty<CompletionResult>();
            }
        }

        /// <summary>Whether the typed word starts the id, or matches the start of the name (wildcards allowed).</summary>
        public static bool Matches(int? id, string? name, string word) =>
            word.Length == 0
            || (id is int value && value.ToString(CultureInfo.InvariantCulture).StartsWith(word, StringComparison.Ordinal))
            || (name != null && new WildcardPattern(word + "*", WildcardOptions.IgnoreCase).IsMatch(name));

        /// <summary><paramref name="text"/> in single quotes when PowerShell would split it, or when the user started with a quote.</summary>
        public static string Quote(string text, string? wordToComplete) =>
            text.IndexOfAny(NeedsQuotes.ToCharArray()) >= 0 || text.StartsWith("-", StringComparison.Ordinal) || (wordToComplete ?? "").StartsWith("'", StringComparison.Ordinal) || (wordToComplete ?? "").StartsWith("\"", StringComparison.Ordinal)
                ? "'" + text.Replace("'", "''") + "'"
                : text;

        private static string Unquote(string? word) => (word ?? "").Trim('\'', '"');

        /// <summary>The -Connection already typed on the command line (an object or a name), else the current connection.</summary>
        private static WeComConnection? ConnectionOf(IDictionary? fakeBoundParameters)
        {
            var typed = fakeBoundParameters?["Connection"];
            var value = typed is PSObject wrapped ? wrapped.BaseObject : typed;
            return value switch
            {
                WeComConnection connection => connection,
                string name => ConnectionRegistry.Find(name),
                _ => ConnectionRegistry.Current,
            };
        }
    }

    /// <summary>
    /// What a completer read from each connection, kept for <see cref="Lifetime"/> so that pressing Tab again costs
    /// nothing. A read runs on the thread pool and is abandoned (and cancelled) after <see cref="Timeout"/>.
    /// </summary>
    internal sealed class CompletionCache<T>
        where T : class
    {
        public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
        public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

        private readonly ConditionalWeakTable<WeComConnection, Entry> _entries = new ConditionalWeakTable<WeComConnection, Entry>();
        private readonly Func<WeComConnection, CancellationToken, Task<T>> _read;

        public CompletionCache(Func<WeComConnection, CancellationToken, Task<T>> read) => _read = read;

        /// <summary>The cached items of <paramref name="connection"/>, read again once stale; null when the read fails or times out.</summary>
        public T? Get(WeComConnection connection)
        {
            var entry = _entries.GetValue(connection, _ => new Entry());
            lock (entry)
            {
                if (entry.Value != null && DateTime.UtcNow - entry.ReadAt < Lifetime)
                {
                    return entry.Value;
                }
            }

            using var cancellation = new CancellationTokenSource(Timeout);
            var read = Task.Run(() => _read(connection, cancellation.Token));
            if (!read.Wait(Timeout))
            {
                cancellation.Cancel();
                return null;
            }

            lock (entry)
            {
                entry.Value = read.Result;
                entry.ReadAt = DateTime.UtcNow;
                return entry.Value;
            }
        }

        private sealed class Entry
        {
            public T? Value { get; set; }
            public DateTime ReadAt { get; set; }
        }
    }
}
