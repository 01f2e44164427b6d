using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS.Commands
{
    /// <summary>
    /// What every WeComPS cmdlet shares: async work that runs off the pipeline thread while everything it writes
    /// is drained back onto it, Ctrl+C that stops reads at once and lets changes already sent settle, and WeCom failures
    /// turned into ErrorRecords with stable ids.
    /// </summary>
    public abstract class WeComAsyncCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly FailurePolicy _failures = new FailurePolicy();
        private BlockingCollection<Pending>? _pending;
        private volatile bool _stoppedByUser;

        /// <summary>A write for the pipeline thread, and what the host shows of it once the pipeline has stopped (an item's error, a job id).</summary>
        private readonly struct Pending
        {
            public Pending(Action write, string? afterStop = null)
            {
                Write = write;
                AfterStop = afterStop;
            }

            public Action Write { get; }
            public string? AfterStop { get; }
        }

        /// <summary>
        /// Ctrl+C: reads end at once; changes already sent settle (<see cref="RetryPolicy.StopGrace"/>) and are reported
        /// on the host, since a stopped pipeline takes no more output.
        /// </summary>
        protected override void StopProcessing()
        {
            _stoppedByUser = true;
            _stopping.Cancel();
        }

        public void Dispose()
        {
            _stopping.Dispose();
            GC.SuppressFinalize(this);
        }

        /// <summary>
        /// Runs <paramref name="work"/> on the thread pool and, meanwhile, performs on this (the pipeline) thread
        /// every write it posts. A WeComException that escapes ends the command with its ErrorRecord. Once a write fails
        /// (Ctrl+C, -ErrorAction Stop, Select-Object -First), the work is cancelled and its posts are drained until it has
        /// settled: after Ctrl+C the items' errors and how far it got go to the host, after another stop how far it got.
        /// </summary>
        protected void RunAsync(Func<CancellationToken, Task> work)
        {
            using var pending = new BlockingCollection<Pending>(boundedCapacity: 4096);
            _pending = pending;
            var listener = new LogForwarder(this);
            var task = Task.Run(async () =>
            {
                try
                {
                    using (WeComLog.Listen(listener))
                    {
                        await work(_stopping.Token).ConfigureAwait(false);
                    }
                }
                finally
                {
                    pending.CompleteAdding();
                }
            });

            Exception? writeFailed = null;
            try
            {
                foreach (var entry in pending.GetConsumingEnumerable())
                {
                    if (writeFailed is null)
                    {
                        try
                        {
                            entry.Write();
                            continue;
                        }
                        catch (Exception ex)
                        {
                            // The pipeline stopped or a write failed: stop the work too, and go on taking what it posts
                            // until it has settled.
                            writeFailed = ex;
                            _stopping.Cancel();
                        }
                    }

                    // After Ctrl+C the host shows what the items still say; after another failure (-ErrorAction Stop,
                    // Select-Object -First) the caller has what it asked for, and the closing line says the rest.
                    if (_stoppedByUser)
                    {
                        ShowAfterStop(entry.AfterStop);
                    }
                }
            }
            finally
            {
                _pending = null;
            }

            try
            {
                task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
            }
            catch (WeComException ex) when (_stopping.IsCancellationRequested)
            {
                // How far a stopped run of changes got: after Ctrl+C with the items' own reports; after another stop
                // (-ErrorAction Stop, Select-Object -First) as a warning, since the pipeline takes no more.
                ShowAfterStop(ex.Message, warning: !_stoppedByUser);
            }
            catch (WeComException ex)
            {
                ThrowTerminatingError(ToErrorRecord(ex, ex.ApiPath));
            }

            if (writeFailed != null)
            {
                ExceptionDispatchInfo.Capture(writeFailed).Throw();
            }

            if (_stopping.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>What the work says about its items after the pipeline stopped: the host is the only place left that shows it.</summary>
        private void ShowAfterStop(string? text, bool warning = false)
        {
            if (text is null || Host?.UI is not { } ui)
            {
                return;
            }

            try
            {
                if (warning)
                {
                    ui.WriteWarningLine(text);
                }
                else
                {
                    ui.WriteErrorLine(text);
                }
            }
            catch (Exception)
            {
                // A host that cannot show it now.
            }
        }

        /// <summary>
        /// A short note for the admin: a host line when the command was typed at the prompt of a terminal, else verbose
        /// output, so scripts, function results and captured output (pwsh -Command in a runbook) stay clean.
        /// </summary>
        protected void Say(string note)
        {
            if (MyInvocation.CommandOrigin == CommandOrigin.Runspace && Host?.UI != null && !Console.IsOutputRedirected)
            {
                Host.UI.WriteLine(note);
            }
            else
            {
                WriteVerbose(note);
            }
        }

        /// <summary>Queues <paramref name="write"/> to run on the pipeline thread.</summary>
        /// <param name="write">The write.</param>
        /// <param name="afterStop">What the host shows instead when the pipeline has stopped; null for nothing.</param>
        protected void Post(Action write, string? afterStop = null)
        {
            var pending = _pending ?? throw new InvalidOperationException("Post is only valid inside RunAsync.");
            pending.Add(new Pending(write, afterStop));
        }

        protected void PostObject(object item) => Post(() => WriteObject(item));

        protected void PostError(WeComException error, object? target) => Post(() => WriteError(ToErrorRecord(error, target)), error.Message);

        /// <summary>An item's failure: written as an error naming its target, unless it ends the command (<see cref="FailurePolicy"/>): then thrown.</summary>
        protected void PostItemError(WeComException error, object? target)
        {
            if (_failures.Ends(error))
            {
                throw error;
            }

            PostError(error, target);
        }

        /// <summary>An item went through: the endpoint answers.</summary>
        protected void ItemSucceeded() => _failures.Succeeded();

        private protected void PostProgress(WeComProgress progress, int activityId = 1) => Post(() => WriteProgress(new ProgressRecord(activityId, progress.Activity, Msg.Get("ProgressCount", progress.Completed, progress.Total))
        {
            PercentComplete = progress.Percent,
            RecordType = progress.Completed >= progress.Total ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        }));

        /// <summary>
        /// Writes each failure as a non-terminating error naming its item and hands each value to
        /// <paramref name="onValue"/> (e.g. PostObject, or collecting them for -PassThru).
        /// </summary>
        private protected async Task EmitAsync<T>(IAsyncEnumerable<ItemResult<T>> results, Action<T>? onValue = null)
        {
            await foreach (var result in results.ConfigureAwait(false))
            {
                if (result.Error != null)
                {
                    PostError(result.Error, result.Target);
                }
                else
                {
                    onValue?.Invoke(result.Value!);
                }
            }
        }

        /// <summary>Reports a long operation's progress as this command's progress bar.</summary>
        private protected IProgress<WeComProgress> ProgressBar => new ProgressForwarder(this);

        /// <summary>
        /// For a change, on the pipeline thread and before any request: false with the error written when the input is
        /// invalid, else whether the user agrees (ShouldProcess, so -WhatIf and -Confirm apply).
        /// </summary>
        protected bool Approve(WeComException? invalid, object target, string description, string action)
        {
            if (invalid != null)
            {
                WriteError(ToErrorRecord(invalid, target));
                return false;
            }

            return ShouldProcess(description, action);
        }

        /// <summary>An ErrorRecord with the exception's stable id, a fitting category and WeCom's advice as the recommended action.</summary>
        protected static ErrorRecord ToErrorRecord(WeComException error, object? target)
        {
            // Shown once each: the summary, then the advice as the recommended action; WeCom's errmsg stays on the exception.
            var record = new ErrorRecord(error, error.ErrorId, CategoryOf(error.Kind), target)
            {
                ErrorDetails = new ErrorDetails(error.Summary) { RecommendedAction = error.RecommendedAction },
            };

            return record;
        }

        private static ErrorCategory CategoryOf(WeComErrorKind kind) => kind switch
        {
            WeComErrorKind.Authentication => ErrorCategory.AuthenticationError,
            WeComErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
            WeComErrorKind.NotFound => ErrorCategory.ObjectNotFound,
            WeComErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
            WeComErrorKind.AlreadyExists => ErrorCategory.ResourceExists,
            WeComErrorKind.LimitExceeded => ErrorCategory.LimitsExceeded,
            WeComErrorKind.Busy => ErrorCategory.ResourceBusy,
            WeComErrorKind.Connection => ErrorCategory.ConnectionError,
            WeComErrorKind.InvalidResponse => ErrorCategory.InvalidResult,
            _ => ErrorCategory.NotSpecified,
        };

        private sealed class ProgressForwarder : IProgress<WeComProgress>
        {
            private readonly WeComAsyncCmdlet _cmdlet;

            public ProgressForwarder(WeComAsyncCmdlet cmdlet) => _cmdlet = cmdlet;

            public void Report(WeComProgress value) => _cmdlet.PostProgress(value);
        }

        /// <summary>Sends the client's diagnostics to this command's verbose and debug streams.</summary>
        private sealed class LogForwarder : IWeComLogListener
        {
            private readonly WeComAsyncCmdlet _cmdlet;

            public LogForwarder(WeComAsyncCmdlet cmdlet) => _cmdlet = cmdlet;

            public void Verbose(string message) => Forward(() => _cmdlet.WriteVerbose(message));

            public void Debug(string message) => Forward(() => _cmdlet.WriteDebug(message));

            public void Warning(string message) => Forward(() => _cmdlet.WriteWarning(message));

            // A message from a request abandoned after the command ended has nowhere to go.
            private void Forward(Action write)
            {
                try
                {
                    _cmdlet._pending?.TryAdd(new Pending(write));
                }
                catch (InvalidOperationException)
                {
                }
            }
        }
    }

    /// <summary>The base of the cmdlets that work through a connection: the -Connection parameter, its resolution, and running changes.</summary>
    public abstract partial class WeComCmdlet : WeComAsyncCmdlet
    {
        /// <summary>
        /// <para type="description">The connection to use, as an object from Connect-WeCom or Get-WeComConnection, or by name. Defaults to the current connection.</para>
        /// </summary>
        [Parameter]
        [ConnectionTransformation]
        [ArgumentCompleter(typeof(ConnectionNameCompleter))]
        public WeComConnection? Connection { get; set; }

        /// <summary>
        /// True when the command was piped to but <paramref name="received"/> nothing usable: an empty pipeline, or input
        /// that failed to bind. A read of "everything" then reads nothing.
        /// </summary>
        protected bool PipedNothing(int received) => MyInvocation.ExpectingInput && received == 0;

        private bool _columnsChecked;

        /// <summary>
        /// Warns once per command about the columns of a piped row (Import-Csv, [pscustomobject]) that match no parameter,
        /// which PowerShell would otherwise drop without a word: "mobile phone" for Mobile, say. The columns of the
        /// module's own members and departments (Status, Avatar, Path, ...) are left out: an exported CSV piped back in
        /// is no typo.
        /// </summary>
        protected void WarnUnmatchedColumns(PSObject? row)
        {
            if (_columnsChecked || row?.BaseObject is not PSCustomObject)
            {
                return;
            }

            _columnsChecked = true;
            var parameters = MyInvocation.MyCommand.Parameters.Values;
            var exported = typeof(WeComUser).GetProperties().Concat(typeof(WeComDepartment).GetProperties()).Select(p => p.Name);
            var known = new HashSet<string>(parameters.Select(p => p.Name).Concat(parameters.SelectMany(p => p.Aliases)).Concat(exported), StringComparer.OrdinalIgnoreCase);
            var unmatched = row.Properties.Select(p => p.Name).Where(name => !known.Contains(name)).ToList();
            if (unmatched.Count > 0)
            {
                WriteWarning(Msg.Get("UnmatchedColumns", string.Join(", ", unmatched.Select(n => "'" + n + "'")), MyInvocation.MyCommand.Name));
            }
        }

        /// <summary>-MaxDelete as a <see cref="DeleteLimit"/>; a value that is none ends the command before anything is read.</summary>
        private protected DeleteLimit ParseDeleteLimit(string? maxDelete)
        {
            try
            {
                return DeleteLimit.Parse(maxDelete);
            }
            catch (WeComException ex)
            {
                ThrowTerminatingError(ToErrorRecord(ex, maxDelete));
                throw;
            }
        }

        /// <summary>Under -WhatIf, how many <paramref name="noun"/>s (in the admin's language) a removal would delete against <paramref name="limit"/>.</summary>
        private protected void ShowDeleteLimit(int deletes, DeleteLimit limit, string noun)
        {
            if (deletes > 0 && WhatIfMode())
            {
                ShouldProcess(Msg.Get("DeleteLimitTarget", deletes, noun, limit), Msg.Get("RemoveNouns", noun));
            }
        }

        /// <summary>The connection this call uses: -Connection, else the current one.</summary>
        protected WeComConnection ResolveConnection()
        {
            var connection = Connection ?? ConnectionRegistry.Current;
            if (connection is null)
            {
                // A runspace of ForEach-Object -Parallel or a thread job starts without the caller's connections.
                var inParallel = ConnectionRegistry.AnyElsewhere;
                ThrowTerminatingError(new ErrorRecord(
                    new InvalidOperationException(Msg.Get(inParallel ? "NotConnectedInParallel" : "NotConnected")),
                    "NotConnected",
                    ErrorCategory.ConnectionError,
                    null));
            }

            return connection!;
        }

        private NameResolver? _names;

        /// <summary>This command's resolver of department and tag names: the tree and the tag list are read once per command.</summary>
        private protected NameResolver Names => _names ??= new NameResolver(ResolveConnection());

        /// <summary>Runs <paramref name="work"/> to its end on the pipeline thread's behalf, e.g. a look-up in ProcessRecord.</summary>
        protected T Await<T>(Func<CancellationToken, Task<T>> work)
        {
            T result = default!;
            RunAsync(async cancellationToken => result = await work(cancellationToken).ConfigureAwait(false));
            return result;
        }

        /// <summary>
        /// Whether ShouldProcess will show its target (-WhatIf, -Confirm, or a $ConfirmPreference at or below
        /// <paramref name="impact"/>): only then is it worth reading names to show.
        /// </summary>
        protected bool ShowsTargets(ConfirmImpact impact)
        {
            var bound = MyInvocation.BoundParameters;
            if (bound.TryGetValue("WhatIf", out var whatIf) ? ((SwitchParameter)whatIf).IsPresent : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference")))
            {
                return true;
            }

            if (bound.TryGetValue("Confirm", out var confirm))
            {
                return ((SwitchParameter)confirm).IsPresent;
            }

            return GetVariableValue("ConfirmPreference") is ConfirmImpact preference && preference != ConfirmImpact.None && preference <= impact;
        }

        /// <summary>The department as -WhatIf and -Confirm name it ("4 企业微信产品部") when they will show it, else its id.</summary>
        protected string DepartmentLabel(int id, ConfirmImpact impact)
        {
            if (!ShowsTargets(impact))
            {
                return id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            var names = Names;
            return Await(ct => names.DepartmentLabelAsync(id, ct));
        }

        /// <summary>The tag as -WhatIf and -Confirm name it ("3 值班") when they will show it, else its id.</summary>
        protected string TagLabel(int id, ConfirmImpact impact)
        {
            if (!ShowsTargets(impact))
            {
                return id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            var names = Names;
            return Await(ct => names.TagLabelAsync(id, ct));
        }

        /// <summary>The member as -WhatIf and -Confirm name them ("LiSi (李四)") when they will show it, else the userid.</summary>
        protected string UserLabel(string userId, ConfirmImpact impact)
        {
            if (!ShowsTargets(impact))
            {
                return userId;
            }

            var names = Names;
            return Await(ct => names.UserLabelAsync(userId, ct));
        }

        /// <summary>
        /// The ids of the departments (or, with <paramref name="tags"/>, the tags) that <paramref name="texts"/> give
        /// as ids, names or full paths; null stays null. False, with an error about <paramref name="item"/> written,
        /// when one is unknown or ambiguous. Names are looked up once per command, ids need no request.
        /// </summary>
        protected bool TryResolveIds(IReadOnlyCollection<string>? texts, bool tags, string item, object target, out int[]? ids)
        {
            ids = null;
            if (texts is null)
            {
                return true;
            }

            if (NameResolver.AreIds(texts))
            {
                ids = texts.Select(t => NameResolver.AsId(t)!.Value).ToArray();
                return true;
            }

            var names = Names;
            int[]? resolved = null;
            WeComException? failure = null;
            RunAsync(async cancellationToken =>
            {
                try
                {
                    resolved = tags
                        ? await names.TagIdsAsync(texts, cancellationToken).ConfigureAwait(false)
                        : await names.DepartmentIdsAsync(texts, cancellationToken).ConfigureAwait(false);
                }
                catch (WeComException ex) when (!ex.AffectsAllItems)
                {
                    failure = ex;
                }
            });
            if (failure != null)
            {
                WriteError(ToErrorRecord(item.Length == 0 ? failure : failure.About(item), target));
                return false;
            }

            ids = resolved;
            return true;
        }

        /// <summary>
        /// The id of each department (or, with <paramref name="tags"/>, each tag) that <paramref name="texts"/> give as
        /// ids, names or full paths; one that is unknown or ambiguous is an error naming it, and the others go on.
        /// </summary>
        protected List<int> ResolveEach(IEnumerable<string> texts, bool tags)
        {
            var ids = new List<int>();
            foreach (var text in texts)
            {
                if (TryResolveIds(new[] { text }, tags, "", text, out var resolved))
                {
                    ids.AddRange(resolved!);
                }
            }

            return ids;
        }

        /// <summary>
        /// False, with an error about <paramref name="item"/> written, when one of <paramref name="ids"/> is no
        /// department: what WeCom would refuse the change for (40066), found before it is sent or shown by -WhatIf.
        /// </summary>
        protected bool CheckDepartmentsExist(int[]? ids, string item, object target)
        {
            if (ids is null || ids.Length == 0)
            {
                return true;
            }

            var names = Names;
            IReadOnlyList<int> unknown = new int[0];
            RunAsync(async cancellationToken =>
            {
                try
                {
                    unknown = await names.UnknownDepartmentsAsync(ids, cancellationToken).ConfigureAwait(false);
                }
                catch (WeComException ex) when (!ex.AffectsAllItems)
                {
                    // The directory cannot be read with this secret: WeCom checks the ids when the change is sent.
                    Post(() => WriteVerbose($"Department ids not checked: {ex.Message}"));
                }
            });
            if (unknown.Count == 0)
            {
                return true;
            }

            WriteError(ToErrorRecord(
                WeComException.NotFound(
                    "DepartmentNotFound",
                    Msg.Get(unknown.Count == 1 ? "DepartmentDoesNotExist" : "DepartmentsDoNotExist", item, string.Join(", ", unknown)),
                    "department/simplelist",
                    Msg.Get("GiveExistingDepartment")),
                target));
            return false;
        }

        /// <summary>
        /// False, with one error naming <paramref name="item"/> written, when a piped value of this row did not convert
        /// (its fields were bound as "not given", so the row must not go on). Before any row, such a value came from the
        /// command line: then the whole command stops.
        /// </summary>
        protected bool CheckCells(string item, object target, bool commandLine = false)
        {
            if (CellErrors.Take() is not { } errors)
            {
                return true;
            }

            var record = new ErrorRecord(
                new ParameterBindingException($"{item}: {string.Join("; ", errors.Distinct())}"), "InvalidFieldValue", ErrorCategory.InvalidArgument, target);
            if (commandLine)
            {
                ThrowTerminatingError(record);
            }

            WriteError(record);
            return false;
        }

        /// <summary>
        /// Runs a change to <paramref name="count"/> approved items (none under -WhatIf: then nothing is sent). Each
        /// failure is written as an error; with <paramref name="writeEach"/> each result is written as it comes; then
        /// <paramref name="passThru"/>, when given, gets the changed items (e.g. to read them back for -PassThru).
        /// </summary>
        private protected void RunChanges<T>(
            int count,
            Func<WeComConnection, CancellationToken, IAsyncEnumerable<ItemResult<T>>> change,
            bool writeEach = false,
            Func<WeComConnection, List<T>, CancellationToken, Task>? passThru = null)
        {
            if (count == 0)
            {
                return;
            }

            var connection = ResolveConnection();
            RunAsync(async cancellationToken =>
            {
                var changed = new List<T>();
                await EmitAsync(change(connection, cancellationToken), value =>
                {
                    changed.Add(value);
                    if (FoundInPlace(value) is { } found)
                    {
                        Post(() => WriteWarning(Msg.Get("FoundAfterLostAnswer", found)));
                    }

                    if (writeEach)
                    {
                        PostObject(value!);
                    }
                }).ConfigureAwait(false);
                if (passThru != null && changed.Count > 0)
                {
                    await passThru(connection, changed, cancellationToken).ConfigureAwait(false);
                }
            });
        }

        private static string? FoundInPlace(object? value) => value switch
        {
            WeComUser { FoundInPlace: true } user => Msg.Get("UserLabel", user.UserId),
            WeComDepartment { FoundInPlace: true } department => $"Department {department.Id} ({department.Name})",
            WeComTag { FoundInPlace: true } tag => $"Tag {tag.TagId} ({tag.TagName})",
            _ => null,
        };

        /// <summary>For -PassThru of member changes: writes the changed members as WeCom now has them.</summary>
        protected Func<WeComConnection, List<string>, CancellationToken, Task>? ReadBackUsers(bool passThru) =>
            passThru ? (connection, userIds, cancellationToken) => EmitAsync(connection.Users.GetAsync(userIds, null, cancellationToken), PostObject) : null;
    }
}
