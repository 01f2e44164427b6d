# Where the module's libraries load from, in fresh processes: on PowerShell 7.6 (.NET 10) on a platform with
# precompiled/<rid>/, the precompiled copies, and the runtime then compiles far fewer methods; elsewhere, or from a copy
# of the module without that folder, the IL copies. Either way the third-party DLLs stay in the module's own context.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:moduleFolder = (Resolve-Path (Split-Path $ModulePath)).Path
    $script:powershell = Join-Path $PSHOME $(if ($PSVersionTable.PSEdition -eq 'Desktop') { 'powershell.exe' } elseif ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })
    $architecture = "$([System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture)".ToLowerInvariant()
    $os = if ($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop') { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
    $script:precompiled = Join-Path $moduleFolder "precompiled/$os-$architecture"
    $script:expectPrecompiled = [Environment]::Version.Major -ge 10 -and (Test-Path $precompiled)

    # Imports the module at $Manifest in a fresh process, connects to the sandbox and reads a member; returns where
    # each library came from and, on PowerShell 7, how many methods the runtime compiled for the connect and the read.
    function Invoke-ColdPath([string] $Manifest) {
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$Manifest'
`$counter = 'System.Runtime.JitInfo' -as [type]
`$before = if (`$counter) { `$counter::GetCompiledMethodCount(`$false) }
Connect-WeCom -Sandbox
`$name = (Get-WeComUser -UserId ZhangSan).Name
`$compiled = if (`$counter) { `$counter::GetCompiledMethodCount(`$false) - `$before }
`$context = 'System.Runtime.Loader.AssemblyLoadContext' -as [type]
`$libraries = @{}
foreach (`$assembly in [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -in 'WeComPS.Core', 'WeComPS.Sandbox', 'Microsoft.Extensions.Caching.Memory' }) {
    `$libraries[`$assembly.GetName().Name] = [pscustomobject]@{ Path = `$assembly.Location; Context = if (`$context) { `$context::GetLoadContext(`$assembly).Name } }
}
[pscustomobject]@{ Name = `$name; Compiled = `$compiled; Libraries = `$libraries; IsWeComUser = (Get-WeComUser -UserId ZhangSan) -is [WeComPS.WeComUser] } | ConvertTo-Json -Compress -Depth 4
"@
        $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($script))
        # A cache folder of its own: no start-up profile of an earlier process to compile ahead in the background,
        # which would move the count of compiled methods.
        $saved = $env:XDG_CACHE_HOME, $env:LOCALAPPDATA
        $env:XDG_CACHE_HOME = $env:LOCALAPPDATA = (New-Item -ItemType Directory (Join-Path $TestDrive ([guid]::NewGuid()))).FullName
        try { $output = & $powershell -NoProfile -NonInteractive -EncodedCommand $encoded 2>&1 }
        finally { $env:XDG_CACHE_HOME, $env:LOCALAPPDATA = $saved }
        if ($LASTEXITCODE) { throw "The process failed ($LASTEXITCODE): $output" }
        ($output | Out-String) | ConvertFrom-Json
    }

    # The module as shipped, and a copy without precompiled code, as on a platform the package has none for.
    $script:shipped = Invoke-ColdPath $ModulePath
    $plain = Join-Path $TestDrive 'WeComPS'
    Copy-Item $moduleFolder $plain -Recurse
    Remove-Item (Join-Path $plain 'precompiled') -Recurse -ErrorAction SilentlyContinue
    $script:plainFolder = (Resolve-Path $plain).Path
    $script:withoutPrecompiled = Invoke-ColdPath (Join-Path $plain 'WeComPS.psd1')
}

Describe 'Where WeComPS loads its libraries from' -Tag CI {
    It 'works from the module as shipped and from a copy without precompiled code' {
        foreach ($result in $shipped, $withoutPrecompiled) {
            $result.Name | Should -Be '张三'
            # The output types resolve by name in scripts, so the module's own libraries are in PowerShell's context.
            $result.IsWeComUser | Should -BeTrue
        }
    }

    It 'takes its own libraries from the precompiled folder of its platform on .NET 10, from beside WeComPS.dll otherwise' {
        foreach ($name in 'WeComPS.Core', 'WeComPS.Sandbox') {
            $expected = if ($expectPrecompiled) { Join-Path $precompiled "$name.dll" } else { Join-Path $moduleFolder "$name.dll" }
            $shipped.Libraries.$name.Path | Should -Be $expected
            $withoutPrecompiled.Libraries.$name.Path | Should -Be (Join-Path $plainFolder "$name.dll")
        }
    }

    It 'keeps its third-party DLLs in its own context, precompiled where its own libraries are' {
        if ($PSVersionTable.PSEdition -eq 'Desktop') { Set-ItResult -Skipped -Because '.NET Framework has no AssemblyLoadContext'; return }
        $cache = 'Microsoft.Extensions.Caching.Memory'
        $shipped.Libraries.$cache.Context | Should -Be 'WeComPS'
        $withoutPrecompiled.Libraries.$cache.Context | Should -Be 'WeComPS'
        $expected = if ($expectPrecompiled) { Join-Path $precompiled "dependencies/$cache.dll" } else { Join-Path $moduleFolder "dependencies/$cache.dll" }
        $shipped.Libraries.$cache.Path | Should -Be $expected
        $withoutPrecompiled.Libraries.$cache.Path | Should -Be (Join-Path $plainFolder "dependencies/$cache.dll")
    }

    It 'runs the precompiled code: the runtime compiles far fewer methods for the first connect and read' {
        if (-not $expectPrecompiled) { Set-ItResult -Skipped -Because "there is no precompiled code for .NET $([Environment]::Version) on this platform"; return }
        # A count, not a time: it hardly moves between runs (about 380 against 790 here). Rejected images would be compiled all over again.
        $shipped.Compiled | Should -BeLessThan (0.75 * $withoutPrecompiled.Compiled)
    }

    It 'ships precompiled code for Windows x64, Linux x64 and Arm64, and macOS Arm64' {
        if (-not (Test-Path (Join-Path $moduleFolder 'precompiled'))) { Set-ItResult -Skipped -Because 'a Debug build precompiles nothing'; return }
        foreach ($rid in 'win-x64', 'linux-x64', 'linux-arm64', 'osx-arm64') {
            Join-Path $moduleFolder "precompiled/$rid/WeComPS.Core.dll" | Should -Exist
            Join-Path $moduleFolder "precompiled/$rid/dependencies/Microsoft.Extensions.Caching.Memory.dll" | Should -Exist
        }
    }
}
