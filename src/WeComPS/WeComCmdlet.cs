using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS.Commands
{
    /// <summary>
    /// What every WeComPS cmdlet shares: async work that runs off the pipeline thread while everything it writes
    /// is drained back onto it, Ctrl+C that cancels in-flight requests, and WeCom failures turned into ErrorRecords
    /// with stable ids.
    /// </summary>
    public abstract class WeComAsyncCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly FailurePolicy _failures = new FailurePolicy();
        private BlockingCollection<Action>? _pending;

        protected override void StopProcessing() => _stopping.Cancel();

        public void Dispose()
        {
            _stopping.Dispose();
            GC.SuppressFinalize(this);
        }

        /// <summary>
        /// Runs <paramref name="work"/> on the thread pool and, meanwhile, performs on this (the pipeline) thread
        /// every write it posts. A WeComException that escapes ends the command with its ErrorRecord.
        /// </summary>
        protected void RunAsync(Func<CancellationToken, Task> work)
        {
            using var pending = new BlockingCollection<Action>(boundedCapacity: 4096);
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

            try
            {
                foreach (var write in pending.GetConsumingEnumerable())
                {
                    write();
                }
            }
            catch
            {
                // The pipeline stopped (Ctrl+C, Select-Object -First) or a write failed: stop the work too.
                _stopping.Cancel();
                try
                {
                    task.Wait();
                }
                catch (AggregateException)
                {
                }

                throw;
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
                throw new PipelineStoppedException();
            }
            catch (WeComException ex)
            {
                ThrowTerminatingError(ToErrorRecord(ex, ex.ApiPath));
            }
        }

        /// <summary>Queues <paramref name="write"/> to run on the pipeline thread.</summary>
        protected void Post(Action write)
        {
            var pending = _pending ?? throw new InvalidOperationException("Post is only valid inside RunAsync.");
            pending.Add(write, _stopping.Token);
        }

        protected void PostObject(object item) => Post(() => WriteObject(item));

        protected void PostError(WeComException error, object? target) => Post(() => WriteError(ToErrorRecord(error, target)));

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

        protected void PostProgress(WeComProgress progress, int activityId = 1) => Post(() => WriteProgress(new ProgressRecord(activityId, progress.Activity, $"{progress.Completed} of {progress.Total}")
        {
            PercentComplete = progress.Percent,
            RecordType = progress.Completed >= progress.Total ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        }));

        /// <summary>
        /// Writes each failure as a non-terminating error naming its item and hands each value to
        /// <paramref name="onValue"/> (e.g. PostObject, or collecting them for -PassThru).
        /// </summary>
        protected async Task EmitAsync<T>(IAsyncEnumerable<ItemResult<T>> results, Action<T>? onValue = null)
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
        protected IProgress<WeComProgress> ProgressBar => new ProgressForwarder(this);

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
            var record = new ErrorRecord(error, error.ErrorId, CategoryOf(error.Kind), target);
            if (error.RecommendedAction != null)
            {
                record.ErrorDetails = new ErrorDetails(error.Message) { RecommendedAction = error.RecommendedAction };
            }

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
                    _cmdlet._pending?.TryAdd(write);
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

        /// <summary>-MaxDelete as a <see cref="DeleteLimit"/>; a value that is none ends the command before anything is read.</summary>
        protected DeleteLimit ParseDeleteLimit(string? maxDelete)
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

        /// <summary>Under -WhatIf, how many <paramref name="noun"/>s a removal would delete against <paramref name="limit"/>.</summary>
        protected void ShowDeleteLimit(int deletes, DeleteLimit limit, string noun)
        {
            if (deletes > 0 && WhatIfMode())
            {
                ShouldProcess($"{deletes} {noun}(s), against the delete limit -MaxDelete {limit} of the {noun}s (over it, nothing is sent)", $"Remove {noun}s");
            }
        }

        /// <summary>The connection this call uses: -Connection, else the current one.</summary>
        protected WeComConnection ResolveConnection()
        {
            var connection = Connection ?? ConnectionRegistry.Current;
            if (connection is null)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new InvalidOperationException("Not connected to WeCom. Run Connect-WeCom first (or Connect-WeCom -Sandbox to try the sample corp), or pass -Connection."),
                    "NotConnected",
                    ErrorCategory.ConnectionError,
                    null));
            }

            return connection!;
        }

        /// <summary>
        /// Runs a change to <paramref name="count"/> approved items (none under -WhatIf: then nothing is sent). Each
        /// failure is written as an error; with <paramref name="writeEach"/> each result is written as it comes; then
        /// <paramref name="passThru"/>, when given, gets the changed items (e.g. to read them back for -PassThru).
        /// </summary>
        protected void RunChanges<T>(
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
                        Post(() => WriteWarning($"{found} was already in WeCom as asked: the create's answer was lost, so that attempt created it or it was there before. The object written is what WeCom holds."));
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
            WeComUser { FoundInPlace: true } user => $"User '{user.UserId}'",
            WeComDepartment { FoundInPlace: true } department => $"Department {department.Id} ({department.Name})",
            WeComTag { FoundInPlace: true } tag => $"Tag {tag.TagId} ({tag.TagName})",
            _ => null,
        };

        /// <summary>For -PassThru of member changes: writes the changed members as WeCom now has them.</summary>
        protected Func<WeComConnection, List<string>, CancellationToken, Task>? ReadBackUsers(bool passThru) =>
            passThru ? (connection, userIds, cancellationToken) => EmitAsync(connection.Users.GetAsync(userIds, null, cancellationToken), PostObject) : null;
    }
}
